"""Benchmarks that print JSON: engine speed, frame times, startup, exports."""
