"""Materials knowledge in the pure core: value objects, compositions, specification checks,
blending and classification."""
