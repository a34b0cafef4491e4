"""Tests of the content room."""
