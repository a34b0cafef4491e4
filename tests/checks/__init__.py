"""Tests of the checks room."""
