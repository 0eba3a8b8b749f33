"""The photo pipeline: safe uploads, metadata stripped and credits kept, responsive renditions."""
