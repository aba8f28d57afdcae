"""Drift repair: the ``DriftRepair`` component, which has AWS Config find VPCs without flow logs and
Systems Manager repair them, its settings and its documents. Loaded when ``repairDrift`` is on."""
