import { playbookTable } from "./playbook";

export const enterprisePlaybook = playbookTable("enterprise");
