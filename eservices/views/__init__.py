"""The e-services' views, by who uses them: ``public`` (citizens, and agents
acting for them) and ``officer`` (case officers)."""
