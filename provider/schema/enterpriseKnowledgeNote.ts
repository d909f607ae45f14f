import { knowledgeNoteTable } from "./knowledgeNote";

export const enterpriseKnowledgeNote = knowledgeNoteTable("enterprise");
