"""GIS layers, CRS and datum handling, and map builders."""
