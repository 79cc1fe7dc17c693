# Wrong answers to "Plan the service" (05_beyond_one_machine); each must fail the check.
# --- mistake: the right numbers for the text's job typed in
def machines_for(batch_size, step_s, image_s, cores_per_worker):
    return 10 if image_s > 0.004 else 5
machines = machines_for(256, 0.040, 0.006, 4)
machines_half = machines_for(256, 0.040, 0.003, 4)
# --- mistake: cores counted, not machines
def machines_for(batch_size, step_s, image_s, cores_per_worker):
    return math.ceil(batch_size * image_s / step_s)
machines = machines_for(256, 0.040, 0.006, 4)
machines_half = machines_for(256, 0.040, 0.003, 4)
# --- mistake: rounded down, so the trainer waits
def machines_for(batch_size, step_s, image_s, cores_per_worker):
    return int(batch_size * image_s / (step_s * cores_per_worker))
machines = machines_for(256, 0.040, 0.006, 4)
machines_half = machines_for(256, 0.040, 0.003, 4)
# --- mistake: the chapter's workers_needed called, not the arithmetic done
def machines_for(batch_size, step_s, image_s, cores_per_worker):
    return workers_needed(batch_size, step_s, image_s, cores_per_worker=cores_per_worker)
machines = machines_for(256, 0.040, 0.006, 4)
machines_half = machines_for(256, 0.040, 0.003, 4)
# --- mistake: the chapter's workers_needed borrowed through a default argument
def machines_for(batch_size, step_s, image_s, cores_per_worker, _needed=workers_needed):
    return _needed(batch_size, step_s, image_s, cores_per_worker=cores_per_worker)
machines = machines_for(256, 0.040, 0.006, 4)
machines_half = machines_for(256, 0.040, 0.003, 4)
# --- mistake: the chapter's workers_needed called under another name
plan = workers_needed
def machines_for(batch_size, step_s, image_s, cores_per_worker):
    return plan(batch_size, step_s, image_s, cores_per_worker=cores_per_worker)
machines = machines_for(256, 0.040, 0.006, 4)
machines_half = machines_for(256, 0.040, 0.003, 4)
# --- mistake: "rounded up" as int(x) + 1 (one machine too many when the cores divide evenly)
def machines_for(batch_size, step_s, image_s, cores_per_worker):
    return int(batch_size * image_s / (step_s * cores_per_worker)) + 1
machines = machines_for(256, 0.040, 0.006, 4)
machines_half = machines_for(256, 0.040, 0.003, 4)
# --- mistake: rounded to the nearest machine, with the chapter's workers_needed redefined to agree
def workers_needed(batch, step_s, per_element_s, cores_per_worker=1):
    return max(1, round(batch * per_element_s / (step_s * cores_per_worker)))
def machines_for(batch_size, step_s, image_s, cores_per_worker):
    return max(1, round(batch_size * image_s / (step_s * cores_per_worker)))
machines = machines_for(256, 0.040, 0.006, 4)
machines_half = machines_for(256, 0.040, 0.003, 4)
# --- mistake: the chapter's workers_needed inside a lambda given as a default argument
def machines_for(batch_size, step_s, image_s, cores_per_worker,
                 plan=lambda *job: workers_needed(*job[:3], cores_per_worker=job[3])):
    return plan(batch_size, step_s, image_s, cores_per_worker)

machines = machines_for(256, 0.040, 0.006, 4)
machines_half = machines_for(256, 0.040, 0.003, 4)
