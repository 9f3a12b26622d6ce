package rules

// fileYAML is the external, versioned shape of one rule file. It is decoded
// strictly and then converted into validated Rule values; nothing outside this
// package sees it.
type fileYAML struct {
	Provider string     `yaml:"provider"`
	Docs     string     `yaml:"docs"`
	Rules    []ruleYAML `yaml:"rules"`
}

type ruleYAML struct {
	ID          string      `yaml:"id"`
	Description string      `yaml:"description"`
	Provider    *string     `yaml:"provider"`
	Priority    int         `yaml:"priority"`
	Match       matchYAML   `yaml:"match"`
	Category    string      `yaml:"category"`
	Reason      string      `yaml:"reason"`
	Retryable   *bool       `yaml:"retryable"`
	Fault       string      `yaml:"fault"`
	Severity    string      `yaml:"severity"`
	UserMessage string      `yaml:"user_message"`
	Actions     actionsYAML `yaml:"actions"`
	Overrides   []string    `yaml:"overrides"`
	Docs        string      `yaml:"docs"`
}

type matchYAML struct {
	Codes       []string `yaml:"codes"`
	CodePattern []string `yaml:"code_pattern"`
	Text        []string `yaml:"text"`
	Regex       []string `yaml:"regex"`
	HTTPStatus  []int    `yaml:"http_status"`
	GRPCCode    []string `yaml:"grpc_code"`
	NoResponse  bool     `yaml:"no_response"`
}

type actionsYAML struct {
	EndUser    string `yaml:"end_user"`
	Developer  string `yaml:"developer"`
	Support    string `yaml:"support"`
	Operations string `yaml:"operations"`
}
