"""notebooks/cluster/resume_trainer.py, the crash chapter's training run, from the
command line's entry point: a run trains to the end and says so; run again on the
same folder, it finds its last checkpoint and has nothing left to train."""
from cluster import resume_trainer   # notebooks/ is on the import path (pytest.ini)


def test_a_finished_run_resumes_with_nothing_left(tmp_path, capsys):
    assert resume_trainer.main(["--approach", "index", "--dir", str(tmp_path)]) == 0
    steps = resume_trainer.EPOCHS * resume_trainer.N_EXAMPLES // resume_trainer.BATCH
    assert capsys.readouterr().out.strip() == f"DONE {steps} steps"
    assert resume_trainer.main(["--approach", "index", "--dir", str(tmp_path)]) == 0
    assert capsys.readouterr().out.strip() == "DONE 0 steps"
