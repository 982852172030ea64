"""Local Sphinx/myst-nb extensions used to build the course book."""
