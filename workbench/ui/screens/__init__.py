"""The workbench's dialogs: one module per form, all built on :mod:`.base`."""
