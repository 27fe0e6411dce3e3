"""Results bookkeeping: finished runs read back, the paper's numbers
(``paper_results.yml``), the tables, README tables and metafiles written from
them, and the statistics of seeded comparisons."""
