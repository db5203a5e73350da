(000) ld       [4]
(001) jeq      #0x3             jt 2	jf 5
(002) ldh      [0]
(003) jeq      #0x800           jt 4	jf 5
(004) ret      #262144
(005) ret      #0
