"""Helpers shared by the Propel DAG files (not DAGs themselves)."""
