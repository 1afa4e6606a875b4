"""Northwind shop API."""
