"""Lokalbokning: booking the municipality's rooms and venues.

The domain core lives here (``models``, ``availability``, ``booking``); the
e-service framework adds the service's declaration, its form and its pages.
"""
