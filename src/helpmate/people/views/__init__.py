"""The people pages of the agents' workspace, one module per kind of page."""
