"""Admin pages, one module each; their templates sit beside them."""
