location.href = "http://{{B}}/script-redirect";
