// `wasend/campaigns`: campaign lists and the failure table, from their own module.
import type { CampaignListCells, CampaignOptions, FailureRule, PreparedCampaign, TemplateDefinition } from './index.js';

/**
 * A campaign's list for a template, prepared by the core (the Worker and `wasend campaign
 * check` run the same code). `list` is CSV text, NDJSON, JSON text, or an array of row objects.
 * Bad options or a bad definition throw a TypeError; a list that does not fit is in `issues`.
 * With `cells: true`, also the list's cells as `readCampaignList` gives them, from the same reading.
 */
export function prepareCampaign(list: string | Array<Record<string, unknown>>, definition: TemplateDefinition, options: CampaignOptions & { cells: true }): PreparedCampaign & { cells: CampaignListCells };
export function prepareCampaign(list: string | Array<Record<string, unknown>>, definition: TemplateDefinition, options?: CampaignOptions): PreparedCampaign;
/** A list's cells as the core reads them. */
export function readCampaignList(list: string): CampaignListCells;
/** The failure classes, from the core. */
export function failureClasses(): FailureRule[];
/** The class of a failed answer: its line of the failure table (the last, `permanent`, when no other names it). */
export function classifyFailure(status: number | undefined, body: unknown): FailureRule;
