/** The agent view of a handed-over contact: the view template and the agent-UI flow that shows it. */
export * from "./view-template";
export * from "./agent-ui-flow";
