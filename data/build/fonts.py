"""The fallback font: DejaVu Sans from Debian's `fonts-dejavu-core`, copied to
data/fonts/DejaVuSans.ttf. The viewer and `render` draw with egui's own fonts and fall back to
it for letters those lack (Azerbaijani's ə).

    python3 data/build/fonts.py       # uses BORDERLENS_DATA_CACHE like build.py
"""
import glob
import hashlib
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sources  # noqa: E402

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
PACKAGE = "fonts-dejavu-core"
VERSION = "2.37-6"  # Debian bookworm
SHA256 = "abdc775b21b1bc470d50c97e790d276f2054b7504e56e5bd3e64f48d68582322"


def main():
    cache = os.environ.get("BORDERLENS_DATA_CACHE") or tempfile.mkdtemp(prefix="borderlens-data-")
    os.makedirs(cache, exist_ok=True)
    debs = glob.glob(os.path.join(cache, f"{PACKAGE}_*.deb"))
    if not debs:
        sources._run(["apt-get", "download", f"{PACKAGE}={VERSION}"], cache)
        debs = glob.glob(os.path.join(cache, f"{PACKAGE}_*.deb"))
    out = os.path.join(cache, PACKAGE)
    sources._run(["dpkg-deb", "-x", debs[0], out], cache)
    src = os.path.join(out, "usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    digest = hashlib.sha256(open(src, "rb").read()).hexdigest()
    assert digest == SHA256, f"{src}: sha256 {digest}, expected {SHA256}"
    os.makedirs(os.path.join(DATA, "fonts"), exist_ok=True)
    shutil.copyfile(src, os.path.join(DATA, "fonts", "DejaVuSans.ttf"))
    # The licence asks that its notices go with every copy of the font.
    shutil.copyfile(
        os.path.join(out, f"usr/share/doc/{PACKAGE}/copyright"),
        os.path.join(DATA, "fonts", "LICENSE"),
    )
    print("wrote data/fonts/DejaVuSans.ttf and its LICENSE")


if __name__ == "__main__":
    main()
