/**
 * The CronJob controller: creates a Job from a CronJob's template at each scheduled time.
 *
 * @example
 * ```ts
 * import { cronJobController } from "./controllers/cronjob/mod.ts";
 * manager.add(cronJobController({ client, registry, manager }));
 * ```
 *
 * @module
 */
export { cronJobController, type CronJobControllerOptions } from "./controller.ts";
export {
  byStartTime,
  type CronJob,
  type CronJobStatus,
  finishedAs,
  jobFromTemplate,
  jobName,
  rfc3339,
  SCHEDULED_TIMESTAMP_ANNOTATION,
} from "./jobs.ts";
export { mostRecentScheduleTime, nextTime, type Scheduled, untilNextSchedule, Zone } from "./schedule.ts";
