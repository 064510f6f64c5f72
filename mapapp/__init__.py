"""The map, the Streamlit app and the ``borderatlas`` command line (the top layer)."""
