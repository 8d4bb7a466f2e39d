"""Running the pipeline: whole runs and reruns, the state folder and cache keys, child processes
and their limits, faults that must not stick, hostile raw folders, storage and scale-out."""
