"""Qt layer of the map: web view, URL scheme handler, interceptor, bridge, filters."""
