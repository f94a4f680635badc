"""Input: InfluxDB line protocol and Kapacitor ``.srpl`` recordings, read as Kapacitor reads them."""

from tickmini.io.lineprotocol import PointReader, ReadStats, read_inputs, read_points

__all__ = ["PointReader", "ReadStats", "read_inputs", "read_points"]
