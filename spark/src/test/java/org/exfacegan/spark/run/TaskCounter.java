package org.exfacegan.spark.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/** Counts the successful tasks of each job a driver ran (listener events arrive asynchronously: read after the jobs). */
final class TaskCounter extends SparkListener {
    private final Map<Integer, Integer> stageJob = new TreeMap<>();
    private final Map<Integer, Integer> tasks = new TreeMap<>();

    @Override
    public synchronized void onJobStart(SparkListenerJobStart job) {
        tasks.putIfAbsent(job.jobId(), 0);
        job.stageInfos().foreach(s -> stageJob.put(s.stageId(), job.jobId()));
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd task) {
        if (task.taskInfo().successful()) {
            tasks.merge(stageJob.get(task.stageId()), 1, Integer::sum);
        }
    }

    /** Successful tasks per job, in job order (waits up to 10 s for the listener bus to deliver). */
    synchronized List<Integer> perJob() throws InterruptedException {
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
