"""Tests of the tooling room."""
