"""The knowledge base's views, by who uses them: ``public`` (citizens, and the
agents' article view), ``editor`` (the editors' workspace) and ``alerts``."""
