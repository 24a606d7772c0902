export { mergeTopicSpecs, platformTopics, type TopicSettings } from "./platform-topics.js";
