"""What distillation costs, how fast a config trains and how fast its data
pipeline runs: the measurements behind ``tools/analysis/benchmark_*.py`` and
``docs/advanced/benchmarks.md``."""
