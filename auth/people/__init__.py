"""The person registry: persons with DUF numbers, reception centres, municipalities."""
