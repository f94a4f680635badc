"""Runtime node implementations: points and batches pushed through a graph of nodes."""
