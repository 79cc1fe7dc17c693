# Wrong answers to "Which files does a worker read?" (05_beyond_one_machine); each must fail the check.
# --- mistake: the cases of the text typed in as a table
def files_for_worker(num_files, num_workers, worker):
    table = {(4, 2, 0): [0, 2], (4, 2, 1): [1, 3], (10, 4, 3): [3, 7], (3, 3, 2): [2]}
    if num_files < num_workers:
        raise ValueError("fewer files than workers")
    return table[num_files, num_workers, worker]
# --- mistake: contiguous blocks of files instead of every n-th file
def files_for_worker(num_files, num_workers, worker):
    if num_files < num_workers:
        raise ValueError("fewer files than workers")
    per_worker = num_files // num_workers
    return list(range(worker * per_worker, (worker + 1) * per_worker))
# --- mistake: no error when there are fewer files than workers
def files_for_worker(num_files, num_workers, worker):
    return list(range(worker, num_files, num_workers))
