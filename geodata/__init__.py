"""The embedded data of borderatlas (package data only; read it through ``loaders``)."""
