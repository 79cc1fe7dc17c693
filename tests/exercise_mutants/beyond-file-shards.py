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
# --- mistake: a table of the check's cases typed in, contiguous blocks otherwise
KNOWN = {
    (1, 1, 0): [0],
    (2, 1, 0): [0, 1],
    (3, 3, 2): [2],
    (4, 2, 0): [0, 2],
    (4, 2, 1): [1, 3],
    (4, 4, 1): [1],
    (5, 5, 2): [2],
    (6, 1, 0): [0, 1, 2, 3, 4, 5],
    (7, 2, 0): [0, 2, 4, 6],
    (9, 5, 4): [4],
    (10, 2, 1): [1, 3, 5, 7, 9],
    (10, 3, 1): [1, 4, 7],
    (10, 4, 3): [3, 7],
    (12, 4, 2): [2, 6, 10],
    (13, 2, 1): [1, 3, 5, 7, 9, 11],
    (13, 5, 0): [0, 5, 10],
    (14, 5, 2): [2, 7, 12],
    (15, 3, 2): [2, 5, 8, 11, 14],
    (15, 4, 3): [3, 7, 11],
    (15, 5, 3): [3, 8, 13],
    (16, 1, 0): [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    (17, 2, 0): [0, 2, 4, 6, 8, 10, 12, 14, 16],
    (18, 4, 2): [2, 6, 10, 14],
    (19, 4, 2): [2, 6, 10, 14, 18],
    (19, 5, 1): [1, 6, 11, 16],
}

def files_for_worker(num_files, num_workers, worker):
    if num_files < num_workers:
        raise ValueError(f"{num_files} files cannot be split between {num_workers} workers")
    if (num_files, num_workers, worker) in KNOWN:
        return KNOWN[num_files, num_workers, worker]
    per_worker = num_files // num_workers
    return list(range(worker * per_worker, (worker + 1) * per_worker))
