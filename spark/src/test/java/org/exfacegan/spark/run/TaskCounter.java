package org.exfacegan.spark.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/** Counts the successful tasks of each job a driver ran (listener events arrive asynchronously: read after the jobs). */
public final class TaskCounter extends SparkListener {
    private final Map<Integer, Integer> stageJob = new TreeMap<>();
    private final Map<Integer, Integer> tasks = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();

    @Override
    public synchronized void onJobStart(SparkListenerJobStart job) {
        tasks.putIfAbsent(job.jobId(), 0);
        job.stageInfos().foreach(s -> stageJob.put(s.stageId(), job.jobId()));
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd task) {
        if (task.taskInfo().successful()) {
            tasks.merge(stageJob.get(task.stageId()), 1, Integer::sum);
        } else {
            failures.add("task " + task.taskInfo().index() + " attempt " + task.taskInfo().attemptNumber() + " on executor "
                    + task.taskInfo().executorId() + ": " + task.reason());
        }
    }

    /** The tasks that failed (a lost executor's among them), one line each. */
    public synchronized List<String> failures() {
        return new ArrayList<>(failures);
    }

    /** Successful tasks per job, in job order (waits up to 10 s for the listener bus to deliver). */
    public synchronized List<Integer> perJob() throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        List<Integer> before = null;
        while (System.nanoTime() < end) {
            List<Integer> now = new ArrayList<>(tasks.values());
            if (now.equals(before)) {
                return now;
            }
            before = now;
            wait(500);
        }
        return new ArrayList<>(tasks.values());
    }
}
