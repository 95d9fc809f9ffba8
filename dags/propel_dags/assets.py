"""The data the DAGs hand to each other: companydata's client and sales tables."""

from airflow.sdk import Asset

CLIENTS = Asset("postgres://operational-db:5432/companydata/public/customer_profiles")
SALES = Asset("postgres://operational-db:5432/companydata/public/sales")
