package org.exfacegan.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.apache.spark.SparkException;
import org.exfacegan.api.ExfaceganException;
import org.junit.jupiter.api.Test;

/** A task's own error is what the user sees of a failed job, whether Spark kept the exception or only its text. */
class JobFailureTest {
    @Test
    void theTasksExceptionIsFoundInTheCauses() {
        ExfaceganException ours = new ExfaceganException("plugins/x.jar has SHA-256 a here, the driver's is b");
        assertSame(ours, JobFailure.userError(new SparkException("Job aborted due to stage failure", new RuntimeException(ours))));
    }

    @Test
    void orReadFromSparksMessageWhenOnlyTheTextArrived() {
        SparkException e = new SparkException("Job aborted due to stage failure: Task 3 in stage 1.0 failed 4 times, most recent failure:"
                + " Lost task 3.3 in stage 1.0 (TID 9) (10.0.0.7 executor 2): org.exfacegan.api.ExfaceganException: provenance check"
                + " failed on executor 2: models/m.onnx is missing here\n\tat org.exfacegan.spark.ship.ProvenanceCheck.verify(...)\n");
        assertEquals("provenance check failed on executor 2: models/m.onnx is missing here", JobFailure.userError(e).getMessage());
    }

    @Test
    void anythingElseIsNotAUserError() {
        assertNull(JobFailure.userError(new SparkException("Job aborted: java.lang.OutOfMemoryError: Java heap space")));
        assertNull(JobFailure.userError(new IllegalStateException((String) null)));
    }
}
