def build(path, boxgeom, rnd):
    return []
