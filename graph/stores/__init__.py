"""Store backends behind :class:`graph.store.Store`."""
