"""Time and peak memory to ingest a large camera JPEG and make all its renditions.

    .venv/bin/python bench/media_ingest.py [--megapixels 24] [--repeat 3]

Generates a JPEG of the given size carrying EXIF with GPS, then runs each phase in a fresh child process
against a throwaway SQLite database and media folder:

- ingest: the upload checks, full decode, metadata read, re-encode without metadata, store;
- renditions: every declared width, format and crop, decoded with JPEG draft scaling (the default);
- renditions without draft: the same with draft scaling disabled, to show what it saves.

Peak memory is the process's resident high-water mark during the phase (Linux VmHWM, reset before the
phase through /proc/self/clear_refs), which includes Pillow's pixel buffers; tracemalloc's peak only
counts Python objects (the file's bytes, encoded output), not the decoded pixels.
"""

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_jpeg(path, megapixels):
    from PIL import Image, ImageDraw, ImageFilter

    width = int((megapixels * 1_000_000 * 3 / 2) ** 0.5)
    height = int(width * 2 / 3)
    # Smooth shapes with light sensor grain compress like a photograph, not like noise or a flat card.
    across = Image.linear_gradient("L").resize((width, height))
    down = Image.linear_gradient("L").rotate(90).resize((width, height))
    picture = Image.merge("RGB", (across, down, across.transpose(Image.Transpose.FLIP_LEFT_RIGHT)))
    draw = ImageDraw.Draw(picture)
    for n in range(40):
        x, y, r = (n * 7919) % width, (n * 104729) % height, 40 + (n * 31) % (height // 6)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=((n * 53) % 256, (n * 97) % 256, (n * 13) % 256))
    picture = picture.filter(ImageFilter.GaussianBlur(3))
    grain = Image.effect_noise((width, height), 24).convert("RGB")
    picture = Image.blend(picture, grain, 0.12)
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Canon", "EOS R5"
    exif.get_ifd(0x8825).update({1: "N", 2: (50.0, 27.0, 1.5), 3: "E", 4: (30.0, 31.0, 2.0)})
    picture.save(path, "JPEG", quality=90, exif=exif)
    return width, height


def without_location(rendition):
    """True when the stored file carries no EXIF (so no GPS IFD) and no XMP."""
    from PIL import Image

    with rendition.file.open("rb") as handle:
        stored = Image.open(handle)
        return not stored.getexif().get_ifd(0x8825) and "exif" not in stored.info and "xmp" not in stored.info


def status(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


def reset_peak():
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def measure(work):
    resettable = reset_peak()
    tracemalloc.start()
    tracemalloc.reset_peak()
    started = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - started
    python_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    if resettable:
        peak = status("VmHWM")
    else:  # without /proc, the lifetime peak of the process
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return result, {"seconds": seconds, "peak_rss": peak, "python_peak": python_peak}


def child(source, phase):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from articles.media.renditions import generate_renditions
    from articles.media.uploads import image_upload
    from articles.models import Image

    baseline = status("VmRSS")
    if phase == "ingest":
        data = Path(source).read_bytes()
        image, step = measure(lambda: image_upload(SimpleUploadedFile("camera.jpg", data)))
        report = {"size": [image.width, image.height]}
    else:  # a fresh process, so nothing left resident by the ingest counts here
        image = Image.objects.get()
        count, step = measure(lambda: generate_renditions(image.pk))
        step["count"] = count
        renditions = list(image.renditions.all())
        report = {
            "stored_bytes": sum(r.file.size for r in renditions),
            "gps_free": all(without_location(r) for r in renditions),
        }
    print(json.dumps({"baseline_rss": baseline, "step": step, **report}))


def run_child(source, phase, workdir, draft=True):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": f"sqlite:///{workdir}/bench.sqlite3",
        "MEDIA_ROOT": str(workdir / "media"),
        "IMAGE_RENDITIONS_INLINE_SECONDS": "0",
    }
    code = "import runpy, sys; sys.argv = sys.argv[1:]; "
    if not draft:
        # JpegImageFile has its own draft(); without it the whole picture is decoded at full size.
        code += "from PIL import JpegImagePlugin as J; J.JpegImageFile.draft = lambda *a, **k: None; "
    code += "runpy.run_path(sys.argv[0], run_name='__main__')"
    args = [sys.executable, "-c", code, __file__, "--child", str(source), "--phase", phase]
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    if done.returncode:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def mib(value):
    return f"{value / 1_048_576:,.0f} MiB"


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--megapixels", type=float, default=24)
    parser.add_argument("--repeat", type=int, default=1, help="Runs of each phase; the fastest is shown.")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        return child(options.child, options.phase)

    with tempfile.TemporaryDirectory(prefix="media-bench-") as folder:
        folder = Path(folder)
        source = folder / "camera.jpg"
        width, height = make_jpeg(source, options.megapixels)
        megabytes = source.stat().st_size / 1e6
        print(f"Source: {width}×{height} JPEG ({width * height / 1e6:.1f} MP), {megabytes:.1f} MB")
        rows = []
        for label, draft in [("renditions, JPEG draft decode", True), ("renditions, full decode", False)]:
            best = None
            for n in range(options.repeat):
                workdir = folder / f"run-{draft}-{n}"
                workdir.mkdir()
                ingest = run_child(source, "ingest", workdir)
                renditions = run_child(source, "renditions", workdir, draft)
                if best is None or ingest["step"]["seconds"] < best[0]["step"]["seconds"]:
                    best = (ingest, best[1] if best else renditions)
                if renditions["step"]["seconds"] < best[1]["step"]["seconds"]:
                    best = (best[0], renditions)
            if not rows:
                rows.append(("ingest: check, decode, strip, re-encode, store", best[0]))
            rows.append((label, best[1]))
        print(f"Baseline RSS of a started Django process: {mib(rows[0][1]['baseline_rss'])}")
        print(f"{'phase':<48} {'time':>8} {'peak RSS':>10} {'py peak':>9}")
        for label, report in rows:
            step = report["step"]
            memory = f"{mib(step['peak_rss']):>10} {mib(step['python_peak']):>9}"
            print(f"{label:<48} {step['seconds']:>7.2f}s {memory}")
            if "count" in step:
                print(
                    f"    {step['count']} renditions, {report['stored_bytes'] / 1e6:.1f} MB stored,"
                    f" no GPS tag in any: {report['gps_free']}"
                )
        print(f"(decoded RGB pixels of the source alone: {mib(width * height * 3)})")


if __name__ == "__main__":
    main()
