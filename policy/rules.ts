import type { Kind } from "../provider/schema";
import { UnknownValueError, type ResourceValidationArgs, type ResourceValidationPolicy } from "@pulumi/policy";

/**
 * The rules of the pulumi-devin-guardrails policy pack (./pack.ts serves them). Each reads a resource's inputs as the
 * program declared them; a value a preview cannot know yet (an output of a resource still to be created) is skipped,
 * never flagged. Messages name the resource, the rule, the value found and the fix, and nothing else of the inputs
 * (which also hold the serialized provider).
 */

/**
 * Whether a resource type is the kind's, through the dynamic resources or the provider plugin (as `kindOfType` in
 * provider/schema says; repeated here because the pack loads no provider code, only its types).
 */
export const isDevinType = (type: string, kind: Kind): boolean =>
  type === `pulumi-nodejs:dynamic/devin:${kind}` || type === `devin:index:${kind}`;

/** The role ids of the built-in Admin roles (enterprise and org); an Admin role may also be given by name. */
const ADMIN_ROLE_IDS = new Set(["account_admin", "org_admin"]);

/** Whether a declared role (a name in any case, or a role id) is an Admin role. */
export function isAdminRole(role: string): boolean {
  return ADMIN_ROLE_IDS.has(role.trim()) || role.trim().toLowerCase() === "admin";
}

const UNKNOWN = Symbol("not known during the preview");

/** An input of the resource, or UNKNOWN while the preview cannot know it. */
function input(args: ResourceValidationArgs, key: string): unknown {
  try {
    return args.props[key];
  } catch (e) {
    if (e instanceof UnknownValueError) return UNKNOWN;
    throw e;
  }
}

/** "Organization 'eng'": the kind and the Pulumi resource name. */
function resource(kind: string, args: ResourceValidationArgs): string {
  return `${kind} '${args.name}'`;
}

const show = (value: unknown): string => (typeof value === "string" ? `'${value}'` : (JSON.stringify(value) ?? String(value)));

const days = (seconds: number): string => {
  const d = Math.round((seconds / 86400) * 10) / 10;
  return `${d} day${d === 1 ? "" : "s"}`;
};

export const ORG_ACU_LIMIT = "devin-org-acu-limit";
export const NO_ADMIN_SERVICE_USERS = "devin-no-admin-service-users";
export const KEY_ROTATION = "devin-key-rotation";
export const PROTECT_PRODUCTION_ORGS = "devin-protect-production-orgs";

export const DEFAULTS = {
  maxAcuLimit: 10000,
  allowed: [] as string[],
  maxDays: 90,
  productionNamePattern: "prod",
};

const orgAcuLimit: ResourceValidationPolicy = {
  name: ORG_ACU_LIMIT,
  description: "Every Devin organization declares acuLimit (its per-cycle ACU cap), at most maxAcuLimit.",
  configSchema: {
    properties: {
      maxAcuLimit: {
        type: "integer",
        minimum: 0,
        default: DEFAULTS.maxAcuLimit,
        description: "The highest acuLimit an organization may declare.",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    if (!isDevinType(args.type, "Organization")) return;
    const { maxAcuLimit = DEFAULTS.maxAcuLimit } = args.getConfig<{ maxAcuLimit?: number }>();
    const acuLimit = input(args, "acuLimit");
    if (acuLimit === UNKNOWN) return;
    const who = resource("Organization", args);
    if (acuLimit === undefined || acuLimit === null) {
      reportViolation(
        `${who} has no acuLimit, and policy ${ORG_ACU_LIMIT} requires one, at most ${maxAcuLimit}. ` +
          `Set acuLimit (the per-cycle ACU cap) to ${maxAcuLimit} or less.`,
      );
    } else if (typeof acuLimit !== "number") {
      reportViolation(`${who} has acuLimit ${show(acuLimit)}, which policy ${ORG_ACU_LIMIT} cannot read as a number. Set a whole number.`);
    } else if (acuLimit > maxAcuLimit) {
      reportViolation(
        `${who} has acuLimit ${acuLimit}, above the maximum ${maxAcuLimit} that policy ${ORG_ACU_LIMIT} allows. ` +
          `Lower it, or raise maxAcuLimit in the policy config.`,
      );
    }
  },
};

/** The kinds that give a service user a role, and whose name `allowed` lists: the service user's, or the resource's. */
const ROLE_HOLDERS: Partial<Record<Kind, "serviceUserName" | "resourceName">> = {
  ServiceUser: "serviceUserName",
  EnterpriseServiceUserRole: "resourceName",
  OrgServiceUserRole: "resourceName",
};

const noAdminServiceUsers: ResourceValidationPolicy = {
  name: NO_ADMIN_SERVICE_USERS,
  description: "No service user holds an Admin role (enterprise or org), unless allowed lists it.",
  configSchema: {
    properties: {
      allowed: {
        type: "array",
        items: { type: "string" },
        default: DEFAULTS.allowed,
        description:
          "Exceptions: the name of a ServiceUser (its `name` argument), or the Pulumi resource name of an " +
          "EnterpriseServiceUserRole or OrgServiceUserRole.",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    const kind = (Object.keys(ROLE_HOLDERS) as Kind[]).find((k) => isDevinType(args.type, k));
    if (!kind) return;
    const { allowed = DEFAULTS.allowed } = args.getConfig<{ allowed?: string[] }>();
    const role = input(args, "role");
    if (typeof role !== "string" || !isAdminRole(role)) return;
    const byServiceUserName = ROLE_HOLDERS[kind] === "serviceUserName";
    const name = byServiceUserName ? input(args, "name") : args.name;
    if (typeof name !== "string") return;
    if (allowed.includes(name)) return;
    const who = byServiceUserName ? `${resource(kind, args)} (service user '${name}')` : resource(kind, args);
    reportViolation(
      `${who} ${byServiceUserName ? "has" : "grants"} role ${show(role)}, an Admin role, which policy ` +
        `${NO_ADMIN_SERVICE_USERS} allows no service user. Use role 'Member', or add '${name}' to allowed in the policy config.`,
    );
  },
};

const keyRotation: ResourceValidationPolicy = {
  name: KEY_ROTATION,
  description: "Every ApiKey rotates itself: rotateAfterSeconds is set, and at most maxDays days.",
  configSchema: {
    properties: {
      maxDays: {
        type: "number",
        exclusiveMinimum: 0,
        default: DEFAULTS.maxDays,
        description: "The longest a key may live before `pulumi up` rotates it, in days.",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    if (!isDevinType(args.type, "ApiKey")) return;
    const { maxDays = DEFAULTS.maxDays } = args.getConfig<{ maxDays?: number }>();
    const maxSeconds = Math.floor(maxDays * 86400);
    const rotateAfterSeconds = input(args, "rotateAfterSeconds");
    if (rotateAfterSeconds === UNKNOWN) return;
    const who = resource("ApiKey", args);
    if (rotateAfterSeconds === undefined || rotateAfterSeconds === null) {
      reportViolation(
        `${who} sets no rotateAfterSeconds, and policy ${KEY_ROTATION} requires keys to rotate within ${days(maxSeconds)}. ` +
          `Set rotateAfterSeconds to ${maxSeconds} (${days(maxSeconds)}) or less.`,
      );
    } else if (typeof rotateAfterSeconds !== "number") {
      reportViolation(
        `${who} has rotateAfterSeconds ${show(rotateAfterSeconds)}, which policy ${KEY_ROTATION} cannot read as a number. Set a number of seconds.`,
      );
    } else if (rotateAfterSeconds > maxSeconds) {
      reportViolation(
        `${who} has rotateAfterSeconds ${rotateAfterSeconds} (${days(rotateAfterSeconds)}), above the ${days(maxSeconds)} ` +
          `(${maxSeconds} seconds) that policy ${KEY_ROTATION} allows. Lower it, or raise maxDays in the policy config.`,
      );
    }
  },
};

const protectProductionOrgs: ResourceValidationPolicy = {
  name: PROTECT_PRODUCTION_ORGS,
  description: "An organization whose name matches productionNamePattern has the protect resource option.",
  configSchema: {
    properties: {
      productionNamePattern: {
        type: "string",
        default: DEFAULTS.productionNamePattern,
        description: "A JavaScript regular expression, matched case-insensitively against the organization's name.",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    if (!isDevinType(args.type, "Organization")) return;
    const { productionNamePattern = DEFAULTS.productionNamePattern } = args.getConfig<{ productionNamePattern?: string }>();
    let pattern: RegExp;
    try {
      pattern = new RegExp(productionNamePattern, "i");
    } catch (e) {
      throw new Error(
        `policy ${PROTECT_PRODUCTION_ORGS}: productionNamePattern ${show(productionNamePattern)} is not a valid regular expression (${(e as Error).message})`,
      );
    }
    const name = input(args, "name");
    if (typeof name !== "string" || !pattern.test(name) || args.opts.protect) return;
    reportViolation(
      `${resource("Organization", args)} (name '${name}') matches productionNamePattern ${pattern} of policy ` +
        `${PROTECT_PRODUCTION_ORGS} but is not protected. Add the resource option protect: true, or change ` +
        `productionNamePattern in the policy config.`,
    );
  },
};

/** The rules, in the order the pack lists them. */
export const policies: ResourceValidationPolicy[] = [orgAcuLimit, noAdminServiceUsers, keyRotation, protectProductionOrgs];
