"""Domain-free statistics: moments that merge across blocks, tests, adjustments, reliability."""
