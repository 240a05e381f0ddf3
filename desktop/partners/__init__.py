"""Partner register, the programme's agreements and the agreement list (Qt-free core).

The Qt layer lives in ``desktop.partners.ui``.
"""
