import * as pulumi from "@pulumi/pulumi";
import { claimNaturalKey, withClaim } from "./args";
import { DevinResource } from "./resource";

/** The desired state of a scheduled session in an org. */
export interface ScheduleArgs {
  /** The org (an Organization's `orgId`). Changing it replaces the schedule. */
  orgId: pulumi.Input<string>;
  /** The schedule's name. pulumi-devin refuses to create a second schedule with the same name in the org. */
  name: pulumi.Input<string>;
  /** What each session is asked to do. */
  prompt: pulumi.Input<string>;
  /** `"recurring"` (the default: runs on `frequency`) or `"one_time"` (runs once at `scheduledAt`). */
  scheduleType?: pulumi.Input<"recurring" | "one_time">;
  /**
   * For a recurring schedule (required there): a standard 5-field cron expression, evaluated in UTC, such as
   * `"0 9 * * 1"` (Mondays 09:00 UTC). Checked at preview.
   */
  frequency?: pulumi.Input<string>;
  /**
   * For a one-time schedule (required there): an ISO-8601 time with a timezone, in the future, such as
   * `"2026-12-01T09:00:00Z"`. Once it has run, keep it unchanged: the schedule stays as it is.
   */
  scheduledAt?: pulumi.Input<string>;
  /** Run on every Nth match of the cron expression (1 or more). When omitted it is not managed (the server's default is 1). */
  intervalCount?: pulumi.Input<number>;
  /** `"devin"` or `"data_analyst"`. When omitted it is not managed (the server's default is `"devin"`). */
  agent?: pulumi.Input<"devin" | "data_analyst">;
  /** When to notify: `"always"`, `"failure"` or `"never"`. When omitted it is not managed (the server's default is `"failure"`). */
  notifyOn?: pulumi.Input<"always" | "failure" | "never">;
  /** Let sessions act without approval. When omitted it is not managed (the server's default is false). */
  bypassApproval?: pulumi.Input<boolean>;
  /** Whether it runs. When omitted it is not managed: new schedules are enabled, and pausing it in the app is kept. */
  enabled?: pulumi.Input<boolean>;
  /** A playbook the sessions follow: a Playbook's `playbookId`. Omit it for none. */
  playbookId?: pulumi.Input<string>;
  /** Session tags. Omit it (or give an empty list) for none. */
  tags?: pulumi.Input<pulumi.Input<string>[]>;
  /** A platform label configured for the org; omit it for the org's default at run time. */
  platform?: pulumi.Input<string>;
  /** Slack channel and team for the session's messages. */
  slackChannelId?: pulumi.Input<string>;
  slackTeamId?: pulumi.Input<string>;
  /** One-time schedules only: send the prompt to this existing session (`devin-…`) instead of starting one. */
  targetDevinId?: pulumi.Input<string>;
  /** Manage an existing schedule of the org (`sched-…`) instead of creating one. Read only when the resource is created. */
  adoptId?: pulumi.Input<string>;
}

const ARGUMENTS: readonly (keyof ScheduleArgs)[] = [
  "orgId",
  "name",
  "prompt",
  "scheduleType",
  "frequency",
  "scheduledAt",
  "intervalCount",
  "agent",
  "notifyOn",
  "bypassApproval",
  "enabled",
  "playbookId",
  "tags",
  "platform",
  "slackChannelId",
  "slackTeamId",
  "targetDevinId",
  "adoptId",
];

/**
 * A scheduled Devin session in an org: recurring on a cron expression (UTC), or once at a time. The rules of each
 * type (a valid cron expression, a future time, what applies to which) are checked at preview. Every field but the
 * org updates in place.
 *
 * @example
 * new devin.Schedule("weekly-deps", {
 *   orgId: eng.orgId,
 *   name: "Weekly dependency upgrades",
 *   prompt: "Upgrade our dependencies and open a PR.",
 *   frequency: "0 9 * * 1",
 *   playbookId: upgrades.playbookId,
 * });
 */
export class Schedule extends DevinResource {
  /** The schedule id (`sched-…`), the same value as the resource id. */
  declare readonly scheduleId: pulumi.Output<string>;
  declare readonly orgId: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly prompt: pulumi.Output<string>;
  declare readonly scheduleType: pulumi.Output<string>;
  /** The cron expression; for a one-time schedule, whatever the API kept from before (it means nothing then). */
  declare readonly frequency: pulumi.Output<string | null>;
  /** ISO-8601, as the API returns it. */
  declare readonly scheduledAt: pulumi.Output<string | null>;
  declare readonly intervalCount: pulumi.Output<number>;
  declare readonly agent: pulumi.Output<string>;
  declare readonly notifyOn: pulumi.Output<string>;
  declare readonly bypassApproval: pulumi.Output<boolean>;
  declare readonly enabled: pulumi.Output<boolean>;
  declare readonly playbookId: pulumi.Output<string | null>;
  declare readonly tags: pulumi.Output<string[] | null>;
  declare readonly platform: pulumi.Output<string | null>;
  declare readonly slackChannelId: pulumi.Output<string | null>;
  declare readonly slackTeamId: pulumi.Output<string | null>;
  declare readonly targetDevinId: pulumi.Output<string | null>;
  declare readonly createdBy: pulumi.Output<string | null>;
  /** ISO-8601 times, as the API returns them. */
  declare readonly createdAt: pulumi.Output<string>;
  declare readonly updatedAt: pulumi.Output<string>;
  declare readonly schemaVersion: pulumi.Output<number>;

  constructor(name: string, args: ScheduleArgs, opts?: pulumi.CustomResourceOptions) {
    const claim = args.adoptId
      ? undefined
      : claimNaturalKey("Schedule", name, pulumi.all([args.orgId, args.name]), ([org, n]) => ({
          key: `${org}\u0000${n}`,
          describe: `the schedule name '${n}' in ${org}`,
        }));
    super(
      "Schedule",
      name,
      args,
      ARGUMENTS,
      {
        ...args,
        scheduleId: undefined,
        createdBy: undefined,
        createdAt: undefined,
        updatedAt: undefined,
        schemaVersion: undefined,
      },
      withClaim(opts, claim),
    );
    this.scheduleId = this.id;
  }
}
