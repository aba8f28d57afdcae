"""Running this project without the Pulumi CLI or AWS: stack config, mocks, and the analyzer."""
