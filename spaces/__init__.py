"""The carrier inventory: plots, buildings, floors, rooms, carriers, service teams."""
