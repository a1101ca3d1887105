"""A bench-only site for the load benchmark: the product's URLs plus one minimal DRF endpoint."""
