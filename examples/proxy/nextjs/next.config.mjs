// Nothing to configure for the proxy: its route handler is plain web Request → Response.
export default {};
