from rich.console import Console

from benchmarks import analyze_speed as a
from benchmarks.run import table

a.REPEATS = 1
rows = a.real_news(2)
Console(width=250).print(table("real", rows))
